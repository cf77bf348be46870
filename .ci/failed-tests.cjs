// Prints what failed in a vitest JSON report, a line each: "LABEL: file > test: first line of the error".
// .ci/run prints these again just above its closing line, where the tail of a long log still shows them.
const [report, label] = process.argv.slice(2);
const firstLine = (text) => String(text ?? "").split("\n")[0].slice(0, 300);
for (const file of require(require("node:path").resolve(report)).testResults) {
  const name = require("node:path").relative(process.cwd(), file.name);
  const failedTests = file.assertionResults.filter((t) => t.status === "failed");
  // A file that failed with no failed test failed to load, or in a hook.
  if (file.status === "failed" && failedTests.length === 0) console.log(`${label}: ${name}: ${firstLine(file.message)}`);
  for (const t of failedTests) console.log(`${label}: ${name} > ${t.fullName}: ${firstLine(t.failureMessages[0])}`);
  // A test with no result at all ("pending"): the test process ended (a crash, an exit) before reporting it.
  // Vitest then exits 1 with an unhandled error that names no file; these lines name it.
  for (const t of file.assertionResults.filter((x) => x.status === "pending"))
    console.log(`${label}: ${name} > ${t.fullName}: no result (its test process ended before reporting it)`);
}
