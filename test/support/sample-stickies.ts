/** Sticky texts for sample decks, by template element id: what a real workshop leaves. */
export const SAMPLE_STICKIES: Record<string, string[]> = {
  'went-well': [
    'Pairing on the migration',
    'On-call handovers were calm',
    'The new CI cache cut builds from 14 to 6 minutes',
    'Design reviews happened before code, not after',
    'Fewer meetings on Wednesdays',
  ],
  'to-improve': [
    'Flaky end-to-end tests on the checkout flow; we re-ran the pipeline 40 times this month',
    'Too many priorities at once',
    'Estimates were off by a factor of two',
    'We learned about the API change from a customer',
    'Nobody owned the dependency upgrades, so they piled up until the security audit',
    'Staging is never like production',
    'Long review queues on Fridays',
  ],
  actions: [
    'Quarantine flaky tests within a day (Priya)',
    'One priority per person per week (Sam)',
    'Subscribe to the API changelog (Alex)',
  ],
  drivers: ['Ship the self-serve onboarding by March', 'Keep p95 latency under 300 ms'],
  limiting: ['No new headcount this year', 'The data must stay in the EU'],
  floats: ['Which cloud region within the EU', 'The order of the onboarding steps'],
  chosen: ['Every change ships behind a flag'],
  hypothesis: ['If every change ships behind a flag, we expect fewer rollbacks'],
}
