import { describe, expect, it } from 'vitest';
import { liveDashboardUrl } from '../../src/runs/live-dashboard-url.js';

describe('the live dashboard URL the lab prints for `npm run baseline -- --dashboard`', () => {
  it("is loadgen's default address for a bare --dashboard, else the address given", () => {
    expect(liveDashboardUrl(['--duration', '30s'])).toBeUndefined();
    expect(liveDashboardUrl(['--dashboard'])).toBe('http://127.0.0.1:5665/');
    expect(liveDashboardUrl(['--dashboard', '--users', '20'])).toBe('http://127.0.0.1:5665/');
    expect(liveDashboardUrl(['--dashboard=0.0.0.0:8080'])).toBe('http://0.0.0.0:8080/');
    expect(liveDashboardUrl(['--dashboard', '127.0.0.1:7000', '--open'])).toBe('http://127.0.0.1:7000/');
    expect(liveDashboardUrl(['--dashboard=:7001'])).toBe('http://127.0.0.1:7001/');
  });
});
