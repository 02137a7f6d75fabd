/** Every CLI command, in the order `certdesk --help` lists them. One line per domain file. */
import type { Command } from '../command'
import { cfCommands } from './cf'
import { lintCommands } from './lint'
import { profileCommands } from './profiles'
import { sandboxCommands } from './sandbox'
import { trustCommands } from './trust'

export const COMMANDS: Command[] = [...profileCommands, ...sandboxCommands, ...lintCommands, ...cfCommands, ...trustCommands]
