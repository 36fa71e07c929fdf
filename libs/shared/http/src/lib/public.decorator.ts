import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'talentsync:isPublic';

/** Opens a route to callers without the bearer token (health and metrics only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
