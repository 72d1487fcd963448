// What `flash build`'s console (Rich) prints for a message: it reads every message as
// console markup, so `[word…]` is taken for a style tag and vanishes (pydantic's
// "[type=value_error, input_value=…]" among them) and `\[` prints as `[`. A port of
// rich.markup.render's plain text (emoji codes aside: `:name:` stays as written).
const RE_TAGS = /((\\*)\[([a-z#/@][^[]*?)])/g;

export function richPlainText(markup: string): string {
  if (!markup.includes("[")) return markup;
  let out = "";
  let position = 0;
  for (const match of markup.matchAll(RE_TAGS)) {
    const [full, , escapes] = match;
    let start = match.index!;
    if (start > position) out += plain(markup.slice(position, start));
    position = start + full.length;
    if (escapes) {
      const backslashes = Math.floor(escapes.length / 2);
      if (backslashes) {
        out += "\\".repeat(backslashes);
        start += backslashes * 2;
      }
      if (escapes.length % 2 === 1) {
        out += full.slice(escapes.length); // an escaped tag prints as written
        continue;
      }
    }
    // A tag: styles the text, prints nothing.
  }
  if (position < markup.length) out += plain(markup.slice(position));
  return out;
}

/** Plain text between tags: Rich turns `\[` into `[` there. */
function plain(text: string): string {
  return text.split("\\[").join("[");
}
