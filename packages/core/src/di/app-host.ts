/**
 * The App that serves the modules, for providers that need the app itself rather than a request:
 * its engine (connection counts), `onClose`. What NestJS's HttpAdapterHost is to a NestJS app.
 */
import type { App } from '../app/app.js';

/**
 * `inject(AppHost).app`: the app serving the modules. `Armature.create()` sets it before
 * `configure(consumer)` and the start-up hooks run; the testing module runs the hooks at
 * `compile()`, before its `createApp()` sets it, so read it in `configure()`, or later (requests,
 * shutdown hooks), to be sure of it. Null in constructors, and in the primary of a multi-worker app.
 */
export class AppHost {
  private current: App | null = null;
  get app(): App | null {
    return this.current;
  }
  /** @internal */
  attach(app: App): void {
    this.current = app;
  }
}
