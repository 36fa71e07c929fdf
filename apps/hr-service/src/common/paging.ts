import { HR_DEFAULT_PAGE_SIZE, PageRequest } from '@talentsync/contracts';

/** The page a list request asks for, defaults applied, with the rows to skip and take. */
export function pageOf(request: Pick<PageRequest, 'page' | 'pageSize'>) {
  const page = request.page ?? 1;
  const pageSize = request.pageSize ?? HR_DEFAULT_PAGE_SIZE;
  return { page, pageSize, skip: (page - 1) * pageSize, take: pageSize };
}
