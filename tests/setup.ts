// @peculiar/x509 needs reflect-metadata once and a WebCrypto provider; Node's is the real OpenSSL.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(globalThis.crypto)
