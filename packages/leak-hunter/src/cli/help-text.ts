// `leak-hunter --help`.

export const HELP_TEXT = `leak-hunter: log in as many accounts at once and check every response for its
owner's identity and for nobody else's.

Usage
  leak-hunter run <scenario.yaml|json> [flags]
  leak-hunter run --target URL --accounts FILE --markers COLS [flags]

Load (override the scenario's load section)
  --vus N               virtual users, one account each (exclusive)
  --duration D          how long the load phase runs: 30s, 2m, 500ms (a bare number is seconds)
  --iterations N        iterations per VU (closed model) or in total (with --rate)
  --ramp-up D           spread VU starts (or ramp the arrival rate) over D
  --rate N              open model: start N iterations per second
  --seed S              same seed, same account assignment and request order
  --share-connections   one shared connection pool for all VUs (provokes keep-alive mix-ups)

Without a scenario file (form login with a CSRF hidden input, as @crosstalk/homepage)
  --target URL          the server to hunt (only this origin is ever requested)
  --accounts FILE       accounts CSV with a header row
  --markers COLS        comma-separated free-text marker columns, e.g. displayName,email
  --id-markers COLS     id columns, found only as the whole value of the JSON field of the
                        same name ("userId": 104); with a scenario file, markers.ids says more
  --login-path P        login form path (default /login), GET then POST
  --csrf-field NAME     hidden input holding the CSRF token (default _csrf)
  --username-column C   (default username)   --password-column C  (default password)
  --login-status N      status the POST must return (default 303)
  --page P              page to visit and check, repeatable (default /); the first verifies login

Output
  --json FILE           the report as JSON (schema crosstalk.leak-hunter/report@1)
  --events FILE         NDJSON event stream (run-start, login, finding, progress, run-end)
  --html FILE           one self-contained HTML report
  -q, --quiet           no progress lines
  --no-color            no colour (also when NO_COLOR is set or stdout is not a TTY)
  -h, --help            this text
  --version             print the version

Exit codes
  0  no leak            1  leak found              2  invalid scenario or arguments
  3  target unreachable or no VU could log in      4  a performance threshold was breached
`
