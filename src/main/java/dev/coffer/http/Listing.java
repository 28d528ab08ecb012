package dev.coffer.http;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.common.ArtifactPath;
import java.util.List;

/** The plain HTML folder page that browsers get (no script, every name escaped). */
final class Listing {
    private Listing() {}

    static String html(String repo, ArtifactPath folder, List<ArtifactService.Child> children) {
        String title = repo + "/" + folder;
        StringBuilder sb = new StringBuilder(1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title>")
                .append("<style>body{font-family:sans-serif;margin:2em}td{padding:0 1em 0 0}</style></head><body>")
                .append("<h1>Index of ")
                .append(escape(title))
                .append("</h1><table>");
        if (!folder.isRoot()) {
            sb.append("<tr><td><a href=\"../\">../</a></td></tr>");
        }
        for (ArtifactService.Child c : children) {
            String href = Paths.segment(c.name()) + (c.folder() ? "/" : "");
            sb.append("<tr><td><a href=\"")
                    .append(escape(href))
                    .append("\">")
                    .append(escape(c.name()))
                    .append(c.folder() ? "/" : "")
                    .append("</a></td><td>");
            if (c.file() != null) {
                sb.append(c.file().size())
                        .append(" bytes</td><td>")
                        .append(Json.time(c.file().updatedAt()));
            }
            sb.append("</td></tr>");
        }
        return sb.append("</table></body></html>\n").toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
