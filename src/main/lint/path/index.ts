/** RFC 5280 section 6.1 path validation: the verdict a verifier (OpenSSL, Python's ssl) reaches on a built path. */
export { validatePath, PATH_RULES, pathRule, pathLabel, caKind, type PathFinding, type PathOptions, type Purpose } from './validate'
export { parsePeer, hostMatches, type PeerName } from './peer-name'
export { signatureProblem } from './signature'
