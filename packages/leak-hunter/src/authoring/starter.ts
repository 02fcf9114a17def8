// `leak-hunter init` with nothing to go on: the common form login with a CSRF hidden input.
import type { ScenarioDraft } from './draft.js'
import { DEFAULT_PLAN, draftFromPlan } from './login-plan.js'

export function starterDraft(o: {
  markers: readonly string[] | undefined
  accountsFile: string
}): ScenarioDraft {
  return draftFromPlan(DEFAULT_PLAN, {
    target: 'http://127.0.0.1:3000',
    markers: o.markers,
    accountsFile: o.accountsFile,
    header: [
      'leak-hunter scenario: log every virtual user in, then load pages and check each response for its',
      'owner\'s markers and nobody else\'s. Reference: the leak-hunter README, section "The scenario".',
      'Starter for a form login with a CSRF token in a hidden input; adjust every step to your app.',
    ],
    notes: [
      { kind: 'check', text: 'target: the URL of the server to hunt' },
      {
        kind: 'check',
        text: 'login: the login path, the form field names and the CSRF field (or remove the extract if there is none)',
      },
      {
        kind: 'check',
        text: 'login-submit.expect: the status a successful login returns (303 here)',
      },
      { kind: 'check', text: 'verify and pages: pages that show the logged-in user' },
      { kind: 'check', text: 'the accounts CSV: add one row per virtual user (load.vus)' },
    ],
  })
}
