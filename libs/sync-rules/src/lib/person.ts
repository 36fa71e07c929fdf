/** How a person is named in run reports: their name, or an id when they have none. */
export function displayName(
  person: { firstName?: string; lastName?: string },
  fallback: string,
): string {
  const name = `${person.firstName ?? ''} ${person.lastName ?? ''}`.trim();
  return name || fallback;
}
