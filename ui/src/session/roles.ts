/** What a role may see in the UI (the API enforces the same rules). */

/** Reviewers and admins work the inbox of human-intervention tasks. */
export function canReview(role: string): boolean {
  return role === "reviewer" || role === "admin";
}

/** Only admins cancel a task outright. */
export function isAdmin(role: string): boolean {
  return role === "admin";
}
