// Guards: an API-key guard (DI-enabled: it reads the key from ConfigService), and the request-
// scoped CurrentUser that request handlers may inject.
import { Injectable, REQUEST, Scope, UnauthorizedException, inject, type CanActivate, type Ctx } from './armature.js';
import { ConfigService } from './config.js';
import { ApiSecurityScheme } from '@armature/openapi';

// the OpenAPI document marks every route this guard protects as needing the key
@ApiSecurityScheme('apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' })
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly config = inject(ConfigService);
  canActivate(ctx: Ctx): boolean {
    const key = ctx.get('x-api-key');
    if (key === undefined) throw new UnauthorizedException('send the x-api-key header', { headers: { 'WWW-Authenticate': 'ApiKey' } });
    return key === this.config.get('apiKey'); // a wrong key: 403
  }
}

/**
 * Who is calling, from the `x-user-id` header: one instance per request. Anything that injects
 * it becomes request-scoped (PostsController here) — a small cost per request, see
 * docs/dependency-injection.md.
 */
@Injectable({ scope: Scope.Request })
export class CurrentUser {
  private readonly ctx = inject(REQUEST);
  get id(): number | null {
    const raw = this.ctx.get('x-user-id');
    return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
  }
}
