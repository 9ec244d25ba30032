/** Offset paging for admin lists: what the pager says and where its buttons go. */

export interface PageInfo {
  /** "51–100 of 230", or "No results". */
  text: string;
  hasPrevious: boolean;
  hasNext: boolean;
  previousOffset: number;
  nextOffset: number;
}

export function pageInfo(page: { total: number; limit: number; offset: number; count: number }): PageInfo {
  const { total, limit, offset, count } = page;
  const first = count > 0 ? offset + 1 : 0;
  const last = offset + count;
  return {
    text: count > 0 ? `${first}–${last} of ${total}` : offset > 0 ? `Nothing after ${offset}` : "No results",
    hasPrevious: offset > 0,
    hasNext: last < total,
    previousOffset: Math.max(0, offset - limit),
    nextOffset: offset + limit,
  };
}
