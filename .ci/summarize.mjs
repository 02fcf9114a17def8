// Adds up Vitest JSON reports and prints the closing line "N passed, N failed[, N skipped]".
// Exits non-zero when a test failed, a test file failed to load, a report is missing, or no test ran.
import { readFileSync } from 'node:fs'

let passed = 0
let failed = 0
let skipped = 0
let problems = 0
for (const file of process.argv.slice(2)) {
  let report
  try {
    report = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    console.error(`missing or unreadable report ${file}: ${err.message}`)
    problems++
    continue
  }
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + report.numTodoTests
  // A file that fails to import has no failed test but is still a failure.
  const brokenFiles = report.testResults.filter(
    (r) => r.status === 'failed' && r.assertionResults.every((a) => a.status !== 'failed')
  )
  for (const r of brokenFiles) {
    console.error(`test file failed: ${r.name}: ${r.message}`)
  }
  failed += brokenFiles.length
}
console.log(`${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : ''))
process.exit(failed > 0 || passed === 0 || problems > 0 ? 1 : 0)
