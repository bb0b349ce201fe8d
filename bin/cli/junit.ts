// JUnit XML for CI systems: one testsuite per scenario, one testcase per variant × expectation.

export interface CheckResult {
  scenario: string;
  variant: string;
  name: string;
  description: string;
  measured: number;
  bound: string;
  pass: boolean;
  seconds: number;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const toJunit = (results: readonly CheckResult[]): string => {
  const suites = new Map<string, CheckResult[]>();
  for (const r of results) suites.set(r.scenario, [...(suites.get(r.scenario) ?? []), r]);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = results.filter((r) => !r.pass).length;
  lines.push(`<testsuites name="cachecast check" tests="${results.length}" failures="${failures}">`);
  for (const [scenario, cases] of suites) {
    const time = cases.reduce((s, c) => s + c.seconds, 0);
    lines.push(
      `  <testsuite name="${escapeXml(scenario)}" tests="${cases.length}" failures="${cases.filter((c) => !c.pass).length}" time="${time.toFixed(3)}">`,
    );
    for (const c of cases) {
      const open = `    <testcase classname="${escapeXml(`${scenario}.${c.variant}`)}" name="${escapeXml(c.name)}" time="${c.seconds.toFixed(3)}"`;
      if (c.pass) lines.push(`${open}/>`);
      else {
        lines.push(`${open}>`);
        lines.push(`      <failure message="${escapeXml(`measured ${c.measured}, want ${c.bound}`)}">${escapeXml(c.description)}</failure>`);
        lines.push('    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
};
