/** One test case of a JUnit XML report. */
export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly seconds: number;
  /** undefined when it passed */
  readonly failure?: string;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

/**
 * A JUnit XML report (the de-facto schema CI systems read: testsuites > testsuite > testcase,
 * with a failure element for each failed case), one suite named `suite`.
 */
export function junitReport(suite: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((testCase) => testCase.failure !== undefined).length;
  const seconds = cases.reduce((sum, testCase) => sum + testCase.seconds, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(suite)}" tests="${cases.length}" failures="${failures}" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds.toFixed(3)}">`,
  ];
  for (const testCase of cases) {
    const open = `    <testcase classname="${escapeXml(testCase.classname)}" name="${escapeXml(testCase.name)}" time="${testCase.seconds.toFixed(3)}"`;
    if (testCase.failure === undefined) {
      lines.push(`${open}/>`);
    } else {
      lines.push(`${open}>`, `      <failure message="${escapeXml(testCase.failure.split("\n")[0] ?? "")}">${escapeXml(testCase.failure)}</failure>`, "    </testcase>");
    }
  }
  lines.push("  </testsuite>", "</testsuites>", "");
  return lines.join("\n");
}
