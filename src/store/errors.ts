/** A store could not be opened or used: said to the user without a stack trace. */
export class StoreErrorBase extends Error {}
