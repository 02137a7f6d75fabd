// The peggy grammar of the Rules-language subset (Cloudflare docs: "Operators and grouping symbols", "Values",
// "Functions"). Precedence, loosest first: or (||), xor (^^), and (&&), not (!); a comparison binds tighter than
// `not`. English operators are lower-case only. Strings are quoted ("a\"b") or raw (r"…", r#"…"#). Anything the
// Sandbox does not evaluate (other fields, functions, operators, lists, indexes) still parses, so a real Cloudflare
// expression is kept; the checker marks it "not evaluated". Every node carries its [start, end) offsets.
export const RULES_GRAMMAR = String.raw`
Start = _ e:Or _ { return e }

Or = head:Xor tail:(_ OrOp _ @Xor)* { return fold('or', head, tail) }
Xor = head:And tail:(_ XorOp _ @And)* { return fold('xor', head, tail) }
And = head:Not tail:(_ AndOp _ @Not)* { return fold('and', head, tail) }
Not
  = NotOp _ operand:Not { return { type: 'not', operand, at: at() } }
  / Comparison

OrOp "or" = "or" !IdChar / "||"
XorOp "xor" = "xor" !IdChar / "^^"
AndOp "and" = "and" !IdChar / "&&"
NotOp "not" = "not" !IdChar / "!" !"="

// The operand is parsed once and the comparison tail is optional: trying alternatives that each start with the
// operand would parse nested parentheses again at every level (exponential time).
Comparison = left:Operand tail:(_ @CompareTail)? {
    return tail === null ? left : { type: 'compare', op: tail.op, left, right: tail.right, at: at() }
  }
CompareTail
  = "in" !IdChar _ right:(Set / ListRef) { return { op: 'in', right } }
  / op:CompareOp _ right:Literal { return { op, right } }

CompareOp "comparison operator"
  = ("eq" !IdChar / "==") { return 'eq' }
  / ("ne" !IdChar / "!=") { return 'ne' }
  / ("le" !IdChar / "<=") { return 'le' }
  / ("ge" !IdChar / ">=") { return 'ge' }
  / ("lt" !IdChar / "<") { return 'lt' }
  / ("gt" !IdChar / ">") { return 'gt' }
  / ("contains" !IdChar) { return 'contains' }
  / ("matches" !IdChar / "~") { return 'matches' }
  / ("strict" __ "wildcard" !IdChar) { return 'strict wildcard' }
  / ("wildcard" !IdChar) { return 'wildcard' }

Operand
  = "(" _ e:Or _ ")" { return { type: 'group', expr: e, at: at() } }
  / Call
  / Field
  / Literal

Call = name:Identifier _ "(" _ args:ArgList? _ ")" index:Index* {
    return { type: 'call', name, args: args ?? [], index: index.length > 0, at: at() }
  }
ArgList = head:Or tail:(_ "," _ @Or)* { return [head, ...tail] }

Field "field" = !(Keyword !IdChar) name:$(Identifier ("." Identifier)*) index:Index* {
    return { type: 'field', name, index: index.length > 0, at: at() }
  }
Index = _ "[" _ (String / RawString / "*" / [0-9]+) _ "]"

Identifier = $([a-zA-Z_] IdChar*)
IdChar = [a-zA-Z0-9_]
Keyword = "and" / "or" / "xor" / "not" / "in" / "eq" / "ne" / "lt" / "le" / "gt" / "ge" / "contains" / "matches"
  / "wildcard" / "strict"

Set = "{" _ items:(@SetItem _)* "}" { return { type: 'set', items, at: at() } }
SetItem = String / RawString / Bare / UnclosedString
ListRef "list" = "$" name:$[a-z0-9_]+ { return { type: 'list', name, at: at() } }

Literal "value" = String / RawString / Bare / UnclosedString
UnclosedString = '"' StringChar* !'"' { error('this string has no closing quote (").') }
Bare "number or address" = text:$(([0-9] / ":") [0-9a-fA-F:./]*) { return { type: 'bare', text, at: at() } }

String "string" = '"' chars:StringChar* '"' { return { type: 'string', value: chars.join(''), at: at() } }
StringChar = [^"\\] / "\\" c:. { return c === '"' || c === '\\' ? c : '\\' + c }

RawString "raw string"
  = "r" hashes:$"#"* '"' body:$(!('"' closing:$"#"* &{ return closing.length >= hashes.length }) .)* '"' $"#"|{ return hashes.length }| {
    return { type: 'string', value: body, raw: true, at: at() }
  }

_ "whitespace" = [ \t\r\n]*
__ = [ \t\r\n]+
`

export const GRAMMAR_INITIALIZER = `{{
function fold(type, head, tail) {
  return tail.reduce((left, right) => ({ type, left, right, at: [left.at[0], right.at[1]] }), head)
}
}}
{
function at() { const r = range(); return [r.start, r.end] }
}
`
