import { describe, expect, it } from 'vitest';
import { detectChangePoints } from '../../src/history/change-points.js';
import { magnitude, mergeChangePoints } from '../../src/history/merge-change-points.js';
import { compareSegments } from '../../src/history/student-t-test.js';
import { firstPassPValue, weakChangePoints } from '../../src/history/weak-change-points.js';

/**
 * Apache Otava's published test data and the change points its tests expect, embedded here
 * (nothing is fetched at test time). The Tigerbeetle series is the demo data set Otava's
 * tigerbeetle test uses (throughput of TigerBeetle benchmark runs, from Nyrkiö): a few clear
 * steps, an outlier at 10, a slope, and long stretches of plain noise.
 */
const TIGERBEETLE = [
  26705, 26475, 26641, 26806, 26835, 26911, 26564, 26812, 26874, 26682, 15672, 26745, 26460, 26977, 26851,
  23412, 23547, 23674, 23519, 23670, 23662, 23462, 23750, 23717, 23524, 23588, 23687, 23793, 23937, 23715,
  23570, 23730, 23690, 23699, 23670, 23860, 23988, 23652, 23681, 23798, 23728, 23604, 23523, 23412, 23685,
  23773, 23771, 23718, 23409, 23739, 23674, 23597, 23682, 23680, 23711, 23660, 23990, 23938, 23742, 23703,
  23536, 24363, 24414, 24483, 24509, 24944, 24235, 24560, 24236, 24667, 24730, 28346, 28437, 28436, 28057,
  28217, 28456, 28427, 28398, 28250, 28331, 28222, 28726, 28578, 28345, 28274, 28514, 28590, 28449, 28305,
  28411, 28788, 28404, 28821, 28580, 27483, 26805, 27487, 27124, 26898, 27295, 26951, 27312, 27660, 27154,
  27050, 26989, 27193, 27503, 27326, 27375, 27513, 27057, 27421, 27574, 27609, 27123, 27824, 27644, 27394,
  27836, 27949, 27702, 27457, 27272, 28207, 27802, 27516, 27586, 28005, 27768, 28543, 28237, 27915, 28437,
  28342, 27733, 28296, 28524, 28687, 28258, 28611, 29360, 28590, 29641, 28965, 29474, 29256, 28611, 28205,
  28539, 27962, 28398, 28509, 28240, 28592, 28102, 28461, 28578, 28669, 28507, 28535, 28226, 28536, 28561,
  28087, 27953, 28398, 28007, 28518, 28337, 28242, 28607, 28545, 28514, 28377, 28010, 28412, 28633, 28576,
  28195, 28637, 28724, 28466, 28287, 28719, 28425, 28860, 28842, 28604, 28327, 28216, 28946, 28918, 29287,
  28725, 29148, 29541, 29137, 29628, 29087, 28612, 29154, 29108, 28884, 29234, 28695, 28969, 28809, 28695,
  28634, 28916, 29852, 29389, 29757, 29531, 29363, 29251, 29552, 29561, 29046, 29795, 29022, 29395, 28921,
  29739, 29257, 29455, 29376, 29528, 28909, 29492, 28984, 29621, 29026, 29457, 29102, 29114, 28924, 29162,
  29259, 29554, 29616, 29211, 29367, 29460, 28836, 29645, 29586, 28848, 29324, 28969, 29150, 29243, 29081,
  29312, 28923, 29272, 29117, 29072, 29529, 29737, 29652, 29612, 29856, 29012, 30402, 29969, 29309, 29439,
  29285, 29421, 29023, 28772, 29692, 29416, 29267, 29542, 29904, 30045, 29739, 29945, 29141, 29163, 29765,
  29197, 29441, 28910, 29504, 29614, 29643, 29506, 29420, 29672, 29432, 29784, 29888, 29309, 29247, 29816,
  29254, 29813, 29451, 29382, 29618, 28558, 29845, 29499, 29283, 29184, 29246, 28790, 29952, 29145, 29415,
  30437, 29227, 29605, 29859, 29156, 29807, 29406, 29734, 29861, 29140, 29983, 29832, 29919, 29896, 29991,
  29266, 29001, 29459, 29548, 29310, 29042, 29303, 29894, 29091, 29018, 29537, 29614, 29180, 29736, 29500,
  29218, 29581, 28906, 28542, 29306, 28987, 29878, 28865, 30272, 29707, 29662, 29815, 30492, 29347, 30096,
  29054, 30238, 28813, 31895, 28915,
];

/** Otava's tigerbeetle test: window 30, and the change points it expects at each level. */
const TIGERBEETLE_EXPECTED: ReadonlyArray<{ maxPValue: number; minRelativeChange: number; otava: number[] }> =
  [
    { maxPValue: 0.01, minRelativeChange: 0.05, otava: [15, 71] },
    { maxPValue: 0.05, minRelativeChange: 0.05, otava: [15, 71] },
    { maxPValue: 0.1, minRelativeChange: 0.05, otava: [10, 11, 15, 71, 363] },
    { maxPValue: 0.2, minRelativeChange: 0.05, otava: [10, 11, 15, 71] },
    {
      maxPValue: 0.2,
      minRelativeChange: 0,
      otava: [
        3, 6, 7, 10, 11, 13, 15, 16, 28, 29, 35, 37, 39, 41, 44, 48, 49, 56, 58, 61, 65, 66, 69, 71, 74, 76,
        82, 95, 108, 117, 125, 126, 129, 131, 136, 137, 142, 148, 165, 169, 187, 190, 192, 197, 200, 212, 220,
        241, 243, 246, 247, 249, 250, 260, 265, 266, 268, 278, 282, 288, 305, 306, 325, 330, 337, 338, 340,
        347, 349, 363,
      ],
    },
    {
      maxPValue: 0.1,
      minRelativeChange: 0,
      otava: [
        3, 6, 10, 11, 15, 16, 28, 29, 35, 37, 39, 41, 44, 48, 49, 61, 71, 95, 117, 131, 142, 148, 165, 169,
        192, 206, 212, 260, 265, 268, 278, 282, 288, 305, 363,
      ],
    },
    {
      maxPValue: 0.01,
      minRelativeChange: 0,
      otava: [15, 26, 61, 71, 95, 117, 131, 142, 148, 165, 169, 192, 212, 260],
    },
    { maxPValue: 0.001, minRelativeChange: 0, otava: [15, 61, 71, 95, 117, 131, 142, 148, 192, 212, 260] },
    { maxPValue: 0.0001, minRelativeChange: 0, otava: [71, 95, 117, 131, 142, 148, 192, 212] },
    { maxPValue: 0.00001, minRelativeChange: 0, otava: [71, 95, 131, 192, 212] },
  ];

const label = ({ maxPValue, minRelativeChange }: { maxPValue: number; minRelativeChange: number }) =>
  `p ≤ ${maxPValue}, min change ${minRelativeChange * 100}%`;

/** Change points in `indices` that fail their thresholds when tested between their neighbours. */
function failingOnFinalSegments(
  series: readonly number[],
  indices: readonly number[],
  maxPValue: number,
  minRelativeChange: number,
): number[] {
  return indices.filter((index, i) => {
    const segments = compareSegments(series, indices[i - 1] ?? 0, index, indices[i + 1] ?? series.length);
    return !(segments.pValue < maxPValue && magnitude(segments) > minRelativeChange);
  });
}

describe("Apache Otava's Tigerbeetle data", () => {
  it("with Otava's re-test order, finds exactly the change points Otava's tests expect at every level", () => {
    for (const expected of TIGERBEETLE_EXPECTED) {
      const weak = weakChangePoints(TIGERBEETLE, 30, firstPassPValue(expected.maxPValue));
      const merged = mergeChangePoints(
        TIGERBEETLE,
        weak,
        expected.maxPValue,
        expected.minRelativeChange,
        'as-otava',
      );
      expect(merged, label(expected)).toEqual(expected.otava);
    }
  });

  it("re-testing both neighbours of a dropped point: Otava's answer at 5 of its 10 levels, near it at the rest", () => {
    // What we report that Otava does not, and the reverse. At p ≤ 0.01 and 0.001 the points we
    // leave out are ones Otava reports with stale figures (next test); at the other levels the
    // different order of drops keeps or drops one more point of plain noise.
    const differences: Record<string, { missing: number[]; extra: number[] }> = {
      [label({ maxPValue: 0.1, minRelativeChange: 0.05 })]: { missing: [363], extra: [] },
      [label({ maxPValue: 0.2, minRelativeChange: 0 })]: { missing: [], extra: [234] },
      [label({ maxPValue: 0.1, minRelativeChange: 0 })]: { missing: [6, 265, 288, 305], extra: [220] },
      [label({ maxPValue: 0.01, minRelativeChange: 0 })]: { missing: [26], extra: [] },
      [label({ maxPValue: 0.001, minRelativeChange: 0 })]: { missing: [260], extra: [] },
    };
    for (const e of TIGERBEETLE_EXPECTED) {
      const { missing, extra } = differences[label(e)] ?? { missing: [], extra: [] };
      const expected = [...e.otava.filter((index) => !missing.includes(index)), ...extra].sort(
        (a, b) => a - b,
      );
      const ours = detectChangePoints(TIGERBEETLE, { ...e, windowLen: 30 }).map((c) => c.index);
      expect(ours, label(e)).toEqual(expected);
    }
  });

  it('reports only change points that pass both thresholds between their final neighbours (Otava does not)', () => {
    for (const e of TIGERBEETLE_EXPECTED) {
      const ours = detectChangePoints(TIGERBEETLE, { ...e, windowLen: 30 });
      for (const change of ours) {
        expect(change.pValue, `${label(e)} at ${change.index}`).toBeLessThan(e.maxPValue);
        expect(magnitude(change)).toBeGreaterThan(e.minRelativeChange);
      }
    }
    // Otava at p ≤ 0.001 reports 260 with the figures of a segment that a later drop lengthened:
    // between 212 and the end the step at 260 has p = 0.0027. Likewise 26 at p ≤ 0.01.
    const at = (p: number) =>
      TIGERBEETLE_EXPECTED.find((e) => e.maxPValue === p && e.minRelativeChange === 0)!;
    expect(failingOnFinalSegments(TIGERBEETLE, at(0.001).otava, 0.001, 0)).toEqual([260]);
    expect(failingOnFinalSegments(TIGERBEETLE, at(0.01).otava, 0.01, 0)).toEqual([26]);
  });

  it('with our defaults (window 50, p ≤ 0.001, 5%), finds the two lasting steps and not the outlier', () => {
    const changes = detectChangePoints(TIGERBEETLE);
    expect(changes.map((c) => c.index)).toEqual([15, 71]);
    // Each compares the runs since the previous change point with those up to the next one.
    const mean = (from: number, to: number) =>
      TIGERBEETLE.slice(from, to).reduce((sum, value) => sum + value, 0) / (to - from);
    expect(changes[0]!.meanBefore).toBeCloseTo(mean(0, 15), 9);
    expect(changes[0]!.meanAfter).toBeCloseTo(mean(15, 71), 9);
    expect(changes[0]!.relativeChange).toBeCloseTo(mean(15, 71) / mean(0, 15) - 1, 12);
    expect(changes[1]!.meanAfter).toBeCloseTo(mean(71, TIGERBEETLE.length), 9);
  });
});

describe("Apache Otava's small series", () => {
  // Otava's analysis test: a halving at run 11 of 20, window 10, p ≤ 0.0001.
  it('finds the halving of its single-series test', () => {
    const series = [
      1.02, 0.95, 0.99, 1.0, 1.12, 1.0, 1.01, 0.98, 1.01, 0.96, 0.5, 0.51, 0.48, 0.48, 0.55, 0.5, 0.49, 0.51,
      0.5, 0.49,
    ];
    const options = { windowLen: 10, maxPValue: 0.0001, minRelativeChange: 0 };
    expect(detectChangePoints(series, options).map((c) => c.index)).toEqual([10]);
  });

  // Otava's series test: two metrics of one test, analysed with its defaults (window 50, p ≤ 0.001,
  // no minimum magnitude), then with a minimum magnitude of 20%.
  const series1 = [1.02, 0.95, 0.99, 1.0, 1.12, 0.9, 0.5, 0.51, 0.48, 0.48, 0.55];
  const series2 = [2.02, 2.03, 2.01, 2.04, 1.82, 1.85, 1.79, 1.81, 1.8, 1.76, 1.78];
  const otavaDefaults = { windowLen: 50, maxPValue: 0.001, minRelativeChange: 0 };

  it('finds the change of each metric of its series test', () => {
    expect(detectChangePoints(series1, otavaDefaults).map((c) => c.index)).toEqual([6]);
    expect(detectChangePoints(series2, otavaDefaults).map((c) => c.index)).toEqual([4]);
  });

  it('drops the 10% change and keeps the halving with a minimum magnitude of 20%', () => {
    const options = { ...otavaDefaults, minRelativeChange: 0.2 };
    expect(detectChangePoints(series1, options).map((c) => c.index)).toEqual([6]);
    expect(detectChangePoints(series2, options)).toEqual([]);
  });

  it('handles a series that starts at zero (its division-by-zero test)', () => {
    const series = [0.0, 0.0, 0.0, 1.0, 1.12, 0.9, 0.5, 0.51, 0.48, 0.48, 0.55];
    const changes = detectChangePoints(series, otavaDefaults);
    expect(changes.map((c) => c.index)).toEqual([3, 6]);
    expect(changes[0]).toMatchObject({ meanBefore: 0, relativeChange: null });
    expect(changes[0]!.meanAfter).toBeCloseTo(1.0067, 4);
    expect(changes[1]!.relativeChange).toBeCloseTo(0.504 / 1.0067 - 1, 3);
  });
});
