/**
 * Runs and instant pushes write an employee's HR data to TalentLMS at the same time (a run
 * planned minutes ago, a push of the change made since). These rules keep an older version
 * from undoing a newer one: each writer reserves the version it carries before its TalentLMS
 * call and records it as written after; the versions are the employee's (`EmployeeRecord`).
 */
export interface WriteVersions {
  /** Highest version a writer announced it is writing (0: none). */
  reserved: number;
  /** Highest version known to be written (0: none). */
  written: number;
}

/** Why writing `version` would undo newer data; undefined: write it. */
export function staleWriteReason(version: number, seen: WriteVersions): string | undefined {
  if (seen.written > version)
    return `HR version ${version} is older than version ${seen.written} already written to TalentLMS`;
  if (seen.reserved > version)
    return `HR version ${version} is older than version ${seen.reserved} being written to TalentLMS`;
  return undefined;
}

/**
 * After writing `version`: a newer version reserved meanwhile may have landed before this
 * write, which then undid it, so the writer writes the employee's latest data once more.
 */
export function mustRewriteLatest(version: number, reservedAfterWrite: number): boolean {
  return reservedAfterWrite > version;
}

/** The version guard's input: each employee's HR version, as the plan was made from it. */
export function employeeVersions(
  employees: readonly { id: string; version: number }[],
): ReadonlyMap<string, number> {
  return new Map(employees.map((employee) => [employee.id, employee.version]));
}
