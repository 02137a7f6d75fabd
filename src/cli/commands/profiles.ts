import { EXIT_OK, type Command } from '../command'
import { cliServices } from '../services'

export const profileCommands: Command[] = [
  {
    path: ['profiles', 'list'],
    summary: 'List the Cloudflare and Sandbox profiles the app knows (never their tokens).',
    usage: 'certdesk profiles list [--json]',
    run: ({ print, io }) => {
      const profiles = cliServices(io).profiles.list()
      const human = profiles.length
        ? profiles.map((p) => `${p.name}\t${p.kind}\t${p.tokenHint ? `token …${p.tokenHint}` : ''}`).join('\n')
        : 'No profiles yet. Add one in the app, or use CLOUDFLARE_API_TOKEN with the cf commands.'
      print(human, profiles)
      return EXIT_OK
    },
  },
]
