import { EXIT_OK, type Command } from '../command'
import { table } from '../args'
import { cliServices } from '../services'

export const profileCommands: Command[] = [
  {
    path: ['profiles', 'list'],
    summary: 'List the Cloudflare and Sandbox profiles the app knows (never their tokens).',
    usage: 'certdesk profiles list [--json]',
    run: async ({ print, io }) => {
      const profiles = (await cliServices(io).app()).profiles.list()
      const human = profiles.length
        ? table(profiles.map((p) => [p.name, p.kind, p.tokenHint ? `token …${p.tokenHint}` : '']))
        : 'No profiles yet. Add one in the app, or use CLOUDFLARE_API_TOKEN with the cf commands.'
      print(human, profiles)
      return EXIT_OK
    },
  },
]
