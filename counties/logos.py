"""A county's logo: an SVG checked against an allowlist, or a PNG checked by its signature.

An SVG is XML that a browser runs when it is opened on its own, so an uploaded one is
refused, with the reason, when it holds anything that can run or fetch: a script, an event
handler attribute, a foreignObject, a reference outside the file itself, or a stylesheet
that imports or loads from a URL. Elements and attributes outside the allowlist that are
harmless (an editor's metadata, Inkscape's namespaced attributes) are dropped, and the file
is stored as it was re-serialised from the parsed tree, never as uploaded.

defusedxml parses it: no DTD, no entity expansion, no external entities (billion laughs,
XXE). No well-kept Python library sanitises SVG (nh3/ammonia is for HTML and drops SVG), so
the allowlist is ours; it covers what logos use: shapes, paths, text, gradients, masks.
"""

import re
import struct
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 512 * 1024
MAX_PIXELS = 4096
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# What a logo is drawn with. Anything else is dropped, unless it is in REFUSED.
ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "defs",
        "symbol",
        "use",
        "title",
        "desc",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "marker",
        "filter",
        "feGaussianBlur",
        "feOffset",
        "feBlend",
        "feColorMatrix",
        "feComposite",
        "feFlood",
        "feMerge",
        "feMergeNode",
        "style",
    ]
)
# Elements that run code, embed other documents or load from elsewhere: the upload is refused.
REFUSED = frozenset(
    [
        "script",
        "foreignObject",
        "iframe",
        "object",
        "embed",
        "image",
        "feImage",
        "audio",
        "video",
        "handler",
        "listener",
        "animate",
        "animateTransform",
        "animateMotion",
        "set",
        "discard",
        "a",
    ]
)
ATTRIBUTES = frozenset(
    [
        "id",
        "class",
        "style",
        "transform",
        "viewBox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-opacity",
        "opacity",
        "color",
        "display",
        "visibility",
        "clip-path",
        "clip-rule",
        "mask",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "letter-spacing",
        "word-spacing",
        "text-decoration",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "offset",
        "stop-color",
        "stop-opacity",
        "fx",
        "fy",
        "fr",
        "clipPathUnits",
        "maskUnits",
        "maskContentUnits",
        "patternUnits",
        "patternContentUnits",
        "patternTransform",
        "preserveAspectRatio",
        "version",
        "role",
        "aria-label",
        "aria-hidden",
        "markerWidth",
        "markerHeight",
        "refX",
        "refY",
        "orient",
        "markerUnits",
        "filterUnits",
        "primitiveUnits",
        "stdDeviation",
        "in",
        "in2",
        "result",
        "mode",
        "type",
        "values",
        "operator",
        "k1",
        "k2",
        "k3",
        "k4",
        "dx",
        "dy",
        "flood-color",
        "flood-opacity",
        "startOffset",
        "textLength",
        "lengthAdjust",
    ]
)
HREF_ATTRIBUTES = frozenset({"href", f"{{{XLINK_NS}}}href"})
URL_IN_CSS = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)


def _local(name: str) -> tuple[str, str]:
    """'{namespace}local' → (namespace, local)."""
    if name.startswith("{"):
        namespace, _sep, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _check_css(text: str) -> None:
    """CSS in a style element or attribute may point only inside the file (url(#id))."""
    if "@import" in text.lower():
        raise ValidationError(
            _("The SVG imports a stylesheet (@import). Upload a logo without external styles."),
            code="svg_import",
        )
    for match in URL_IN_CSS.finditer(text):
        if not match.group(2).strip().startswith("#"):
            raise ValidationError(
                _("The SVG loads %(url)s from outside the file. Upload a self-contained logo."),
                code="svg_external",
                params={"url": match.group(2).strip()[:80]},
            )


def clean_svg(data: bytes) -> bytes:
    """The SVG, re-serialised from its checked tree; ValidationError saying what is wrong."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError):
        raise ValidationError(
            _("The file is not a well-formed SVG image (or it declares a DTD or entities)."),
            code="svg_invalid",
        ) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ValidationError(
            _("The file is not an SVG image: its root element is not <svg>."), code="svg_root"
        )
    _clean_element(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _clean_element(element: ET.Element) -> None:
    for name in list(element.attrib):
        namespace, local = _local(name)
        value = element.attrib[name]
        if local.lower().startswith("on"):
            raise ValidationError(
                _("The SVG has an event handler attribute (%(name)s). Upload a logo without it."),
                code="svg_handler",
                params={"name": local},
            )
        if name in HREF_ATTRIBUTES or local in ("src", "href"):
            if not value.strip().startswith("#"):
                raise ValidationError(
                    _("The SVG links to %(url)s outside the file. Upload a self-contained logo."),
                    code="svg_external",
                    params={"url": value.strip()[:80]},
                )
            continue
        if local == "style":
            _check_css(value)
        keep = (namespace == "" and local in ATTRIBUTES) or (
            namespace == "http://www.w3.org/XML/1998/namespace" and local == "space"
        )
        if keep:
            # A presentation attribute may hold url(…) too (fill="url(#gradient)").
            if "url(" in value.lower():
                _check_css(value)
        else:
            del element.attrib[name]
    for child in list(element):
        if not isinstance(child.tag, str):  # a comment or processing instruction
            element.remove(child)
            continue
        namespace, local = _local(child.tag)
        if local in REFUSED or local.lower() in {r.lower() for r in REFUSED}:
            raise ValidationError(
                _("The SVG contains a <%(element)s> element. Upload a logo without it."),
                code="svg_refused_element",
                params={"element": local},
            )
        if namespace != SVG_NS or local not in ELEMENTS:
            element.remove(child)  # an editor's metadata, sodipodi:namedview and the like
            continue
        if local == "style":
            _check_css(child.text or "")
        _clean_element(child)


def check_png(data: bytes) -> bytes:
    """The PNG as uploaded, if its signature and header say it is one of a sensible size."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 33:
        raise ValidationError(_("The file is not a PNG image."), code="png_invalid")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_PIXELS and 0 < height <= MAX_PIXELS):
        raise ValidationError(
            _("The PNG is %(width)d × %(height)d pixels; at most %(max)d × %(max)d are allowed."),
            code="png_size",
            params={"width": width, "height": height, "max": MAX_PIXELS},
        )
    return data


def checked_logo(data: bytes) -> tuple[bytes, str]:
    """(stored bytes, content type) for an uploaded logo, or ValidationError."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The logo is larger than %(kb)d kB."),
            code="too_large",
            params={"kb": MAX_BYTES // 1024},
        )
    if data.startswith(PNG_SIGNATURE):
        return check_png(data), "image/png"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")):
        return clean_svg(data), "image/svg+xml"
    raise ValidationError(
        _("Upload the logo as an SVG or PNG image; this file is neither."), code="logo_type"
    )
