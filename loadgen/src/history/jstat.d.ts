// jstat ships no types; this declares the one function the t-test uses.
declare module 'jstat' {
  const jStat: {
    studentt: {
      /** Cumulative distribution function of Student's t with `dof` degrees of freedom. */
      cdf(x: number, dof: number): number;
    };
  };
  export = jStat;
}
