/** The knowledge pages' URLs (declared in `app/router.tsx`), for `<Link to>` and `navigate`. */

export const knowledgeHref = {
  list: () => "/knowledge",
  base: (id: string) => `/knowledge/${encodeURIComponent(id)}`,
};
