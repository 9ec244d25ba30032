/** Studio's URLs (declared in `app/router.tsx`), for `<Link to>` and `navigate`. */

const seg = encodeURIComponent;

export const studioHref = {
  agents: () => "/studio",
  templates: () => "/studio/templates",
  template: (templateId: string) => `/studio/templates/${seg(templateId)}`,
  agent: (agentId: string) => `/studio/agents/${seg(agentId)}`,
  /** The builder on an empty canvas for a new agent. */
  newAgent: () => "/studio/new",
  /**
   * The builder for an agent: opening version `from` (read-only unless it is a draft), or with
   * `copy` an editable copy of it for a new version; without `from`, an empty canvas.
   */
  builder: (agentId: string, options: { from?: string; copy?: boolean } = {}) => {
    const query = new URLSearchParams();
    if (options.from) query.set("from", options.from);
    if (options.from && options.copy) query.set("copy", "1");
    const search = query.toString();
    return `/studio/agents/${seg(agentId)}/builder${search ? `?${search}` : ""}`;
  },
  /** Two versions of an agent compared: what changed from version `from` to version `to`. */
  diff: (agentId: string, pair: { from: string; to: string }) =>
    `/studio/agents/${seg(agentId)}/diff?${new URLSearchParams({ from: pair.from, to: pair.to }).toString()}`,
};
