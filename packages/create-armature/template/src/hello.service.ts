/** A service: plain logic, injected where it is needed, replaced by a fake in tests. */
import { Injectable } from '@armature/core';

@Injectable()
export class HelloService {
  greet(name = 'world'): string {
    return `Hello, ${name}!`;
  }
}
