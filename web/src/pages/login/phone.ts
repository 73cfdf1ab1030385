/** What a person may type around the digits of a number (spaces, dashes) is not part of it. */
export function normalizePhone(input: string): string {
  return input.replace(/[\s\-()]/g, '');
}
