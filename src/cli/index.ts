/**
 * `certdesk` — the command line. The entry only turns on Node's compile cache, then loads the CLI
 * (main.ts), so every module after it is read from the cache instead of compiled again.
 */
import { useCompileCache } from './compile-cache'

useCompileCache()
await import('./main')
