"""Cut the bundled font: ``python cut_font.py NotoSansSC-Regular.ttf`` writes NotoSansSC-Subset.ttf
beside this file (see README.md). Needs fontTools (``pip install fonttools``); not used at run time.

1. Subset Noto Sans SC Regular to ``RANGES`` and the characters of cjk_chars.txt, keeping every
   OpenType layout feature and name.
2. Add the superscript and subscript letters and digits that Noto Sans SC lacks (ᵀ of "x Wᵀ",
   ⁰ ⁵…⁹ ⁿ ₀…₉, ...) as composite glyphs: the base glyph scaled and raised or lowered by the font's
   own OS/2 superscript and subscript metrics.
"""
import pathlib
import sys

from fontTools import subset
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

HERE = pathlib.Path(__file__).parent
RANGES = ("U+0020-007E,U+00A0-017F,U+02B0-036F,U+0370-03FF,U+1D00-1DBF,U+1E00-1EFF,U+2000-214F,"
          "U+2190-23FF,U+2500-27EF,U+3000-303F,U+FF00-FFEF")
SUPERSCRIPTS = dict(zip("ᵀᴸᴬᴮᴰᴱᴳᴴᴵᴶᴷᴹᴺᴼᴾᴿᵁᵂʰˡˣᵃᵇᶜᵈᵉᶠᵍʲᵏᵐⁿᵒᵖʳˢᵗᵘᵛʷʸᶻ⁰⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾",
                        "TLABDEGHIJKMNOPRUWhlxabcdefgjkmnoprstuvwyz0456789+-=()"))
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ᵢⱼₐₑₒₓₕₖₗₘₙₚₛₜ", "0123456789+-=()ijaeoxhklmnpst"))


def _add_scaled(font, char, base, scale, dy):
    cmap = font.getBestCmap()
    if ord(char) in cmap or ord(base) not in cmap:
        return
    src = cmap[ord(base)]
    name = f"uni{ord(char):04X}"
    comp = GlyphComponent()
    comp.glyphName, comp.x, comp.y, comp.flags = src, 0, int(dy), 0x4      # ROUND_XY_TO_GRID
    comp.transform = [[scale, 0.0], [0.0, scale]]
    glyph = Glyph()
    glyph.numberOfContours, glyph.components = -1, [comp]
    font["glyf"][name] = glyph
    order = font.getGlyphOrder() + [name]
    font.setGlyphOrder(order)
    width, _ = font["hmtx"][src]
    font["hmtx"][name] = (int(round(width * scale)), 0)
    if "vmtx" in font:
        font["vmtx"][name] = font["vmtx"][src]
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[ord(char)] = name
    glyph.recalcBounds(font["glyf"])
    font["hmtx"][name] = (font["hmtx"][name][0], glyph.xMin)


def cut(source, out=HERE / "NotoSansSC-Subset.ttf"):
    options = subset.Options()
    options.layout_features, options.name_IDs, options.name_languages = ["*"], ["*"], ["*"]
    font = subset.load_font(str(source), options)
    sub = subset.Subsetter(options)
    text = (HERE / "cjk_chars.txt").read_text(encoding="utf-8").replace("\n", "")
    sub.populate(text=text, unicodes=subset.parse_unicodes(RANGES))
    sub.subset(font)
    os2 = font["OS/2"]
    for char, base in SUPERSCRIPTS.items():
        _add_scaled(font, char, base, os2.ySuperscriptYSize / font["head"].unitsPerEm, os2.ySuperscriptYOffset)
    for char, base in SUBSCRIPTS.items():
        _add_scaled(font, char, base, os2.ySubscriptYSize / font["head"].unitsPerEm, -os2.ySubscriptYOffset)
    font["maxp"].numGlyphs = len(font.getGlyphOrder())
    font.save(str(out))
    return out


if __name__ == "__main__":
    print(cut(sys.argv[1]))
