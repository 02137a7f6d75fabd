/**
 * The lint engine and certificate inspector: RFC 5280 rules over a lean DER reader, profiles for
 * Cloudflare uploads and Python 3.13's strict verification, chain linting, and the rich decoded
 * view (via @peculiar/x509) for the detail screen.
 */
export { lintCertificate, lintParsed, parseOrThrow, DEFAULT_EXPIRING_DAYS, type LintCertificateOptions } from './engine'
export { listRules } from './catalog'
export { parseCertificate, DerError, type ParsedCertificate } from './der'
export { lintChain, type LintChainOptions } from './chain'
export { parsePeer, validatePath, PATH_RULES, type PeerName, type Purpose } from './path'
export { decodeName, describeName } from './dn'
export { inspectCertificate } from './inspect'
export { readCertificateData, readCertificateFile, type CertificateFile } from './input'
