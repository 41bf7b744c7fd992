package dev.repsim.report;

import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page built section by section: figures are inlined as base64 PNG data URIs
 * and the style sheet is embedded, so the single file reads offline. Every text is escaped.
 */
public final class HtmlReport {
    private final StringBuilder body = new StringBuilder();
    private final String title;
    private int figures;

    public HtmlReport(String title) {
        this.title = title;
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    public HtmlReport heading(int level, String text, String id) {
        body.append("<h").append(level).append(" id=\"").append(escape(id)).append("\">").append(escape(text))
                .append("</h").append(level).append(">\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A paragraph whose parts alternate plain text and {@code <code>} spans: plain, code, plain, ... */
    public HtmlReport paragraphWithCode(String... parts) {
        body.append("<p>");
        for (int i = 0; i < parts.length; i++) {
            body.append(i % 2 == 1 ? "<code>" + escape(parts[i]) + "</code>" : escape(parts[i]));
        }
        body.append("</p>\n");
        return this;
    }

    /** A two-column table of names and values (no header), left-aligned. */
    public HtmlReport keyValues(List<List<String>> rows) {
        body.append("<table class=\"kv\">\n<tbody>\n");
        for (List<String> r : rows) {
            body.append("<tr><th>").append(escape(r.get(0))).append("</th><td>").append(escape(r.get(1))).append("</td></tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return this;
    }

    /** A table with a header row; cells are escaped text. */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<thead><tr>");
        for (String h : header) body.append("<th>").append(escape(h)).append("</th>");
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            for (String c : r) body.append("<td>").append(escape(c)).append("</td>");
            body.append("</tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return this;
    }

    /** Opens a row of figures that wrap on narrow screens. */
    public HtmlReport beginGallery() {
        body.append("<div class=\"gallery\">\n");
        return this;
    }

    public HtmlReport endGallery() {
        body.append("</div>\n");
        return this;
    }

    /** A PNG inlined as a data URI, with alt text and a caption. */
    public HtmlReport figure(byte[] png, String alt, String caption) {
        figures++;
        body.append("<figure><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    /** A bulleted list of relative links (to the CSV and JSON files beside the report). */
    public HtmlReport links(List<String> relativePaths) {
        body.append("<ul class=\"files\">\n");
        for (String p : relativePaths) body.append("<li><a href=\"").append(escape(p)).append("\">").append(escape(p)).append("</a></li>\n");
        body.append("</ul>\n");
        return this;
    }

    public int figureCount() { return figures; }

    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n"
                + "<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }

    private static final String STYLE = """
            body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2em auto; max-width: 1400px; padding: 0 1em; color: #222; line-height: 1.45; }
            h1 { font-size: 1.7em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
            table { border-collapse: collapse; margin: 1em 0; font-size: .95em; }
            th, td { border: 1px solid #ccc; padding: .3em .7em; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            thead th { background: #f2f2f2; }
            table.kv th { background: #f7f7f7; font-weight: normal; text-align: left; } table.kv td { text-align: left; }
            .gallery { display: flex; flex-wrap: wrap; gap: 1.2em; align-items: flex-start; }
            figure { margin: 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { font-size: .85em; color: #555; max-width: 640px; }
            code { background: #f4f4f4; padding: 0 .25em; }
            ul.files { columns: 2; font-size: .9em; }
            """;
}
