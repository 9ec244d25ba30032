/** Studio's URLs (declared in `app/router.tsx`), for `<Link to>` and `navigate`. */

const seg = encodeURIComponent;

export const studioHref = {
  agents: () => "/studio",
  templates: () => "/studio/templates",
  template: (templateId: string) => `/studio/templates/${seg(templateId)}`,
  agent: (agentId: string) => `/studio/agents/${seg(agentId)}`,
};
