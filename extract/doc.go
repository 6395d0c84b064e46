// Package extract reads Vietnamese provincial news articles and finds the
// people in them with their official titles, the places those titles apply
// to, the articles' authors, dates, figures, official documents, quotes and
// quoted terms, with evidence for every fact: byte spans into the text
// exactly as it was given.
//
// It is pure Go with no I/O. The pipeline:
//
//   - Normalize puts text in one canonical form (NFC, one tone placement,
//     plain spaces and dashes) and keeps a map back to the original, so that
//     matching is done on the canonical form while evidence points into what
//     the user gave.
//   - ParseText reads a plain-text dump of a news page: it drops the page
//     chrome and the lists of other articles after the body, and finds the
//     title, lead, paragraphs, captions, byline and publication stamp. The
//     crawler builds an Article from HTML instead, with Article.Add.
//   - Analyze finds people and titles in the article's blocks. A title is a
//     rank (Phó Chủ tịch), one or more organizations (Ủy ban nhân dân), a
//     level (tỉnh) and a place (Sơn La); abbreviations are expanded
//     (UBND → Ủy ban nhân dân). Every mention pattern of Vietnamese news is
//     read: title then name, name then titles, several titles then the name,
//     name – abbreviated title, an affiliation in parentheses, and later
//     references by title alone, by đồng chí, or by ông/bà and the given name.
//     A title that says only "tỉnh" applies to the paper's own province.
//   - In the same pass over each sentence, Analyze reads dates (resolved to
//     ISO values against the publication date, with year rollover), figures
//     (value, scale words, unit, approx/over/under/range), document numbers
//     (02-NQ/TU with their kind), quotes (direct speech in quotation marks
//     or after a caption's colon, and reported speech after a speech verb,
//     attributed to the person even when only a title or đồng chí names
//     them) and quoted terms that nobody is said to speak.
//
// The lexicons (family names, ranks, organizations, levels, abbreviations,
// honorifics, the gazetteer of provinces and districts, the newspapers, page
// chrome) are plain-text files in lexicon/, embedded in the binary; each file
// explains its format.
package extract
