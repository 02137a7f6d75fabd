/** `certificates:*`: saving any certificate the app shows. */
import type { Services } from '../services'
import { chooseFileInMain } from './confirm'
import type { HandlersOf } from './index'

export function createCertificatesHandlers(services: Services): HandlersOf<'certificates'> {
  return {
    'certificates:save': (request) => services.keys.saveCertificate(request, chooseFileInMain(services)),
  }
}
