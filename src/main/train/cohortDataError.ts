/** A cohort that cannot be trained on as asked (the message says why and what to change). */
export class CohortDataError extends Error {}
