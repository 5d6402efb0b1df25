// What the OpenAPI document says about the API as a whole (the routes describe themselves).
import type { DocumentOptions } from '@armature/openapi';

export const documentOptions: DocumentOptions = {
  info: { title: 'Armature DI example', version: '1.0.0', description: 'Users and posts, behind an API key for writes.' },
  tags: [
    { name: 'users', description: 'People who write posts' },
    { name: 'Posts', description: 'What they write (live: GET /posts/live, server-sent events)' },
  ],
};
