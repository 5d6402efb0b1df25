/** The version of this starter, and so of the Armature packages it pins. */
export declare const starterVersion: string;
/** An npm package name for a directory: `My App` → `my-app`. */
export declare function appName(dir: string): string;
/** Thrown for a target that exists and is not an empty directory. */
export declare class ScaffoldError extends Error {}
export interface ScaffoldOptions {
  /** Use `@armature/cli` for the app's dev loop and build (`armature dev`, `armature build`, `armature routes`). */
  cli?: boolean;
}
/** Writes the starter app into `dir` (created; it must not exist or be empty). */
export declare function scaffold(dir: string, options?: ScaffoldOptions): { dir: string; name: string };
