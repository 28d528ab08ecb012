package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import dev.coffer.repository.RemoteSettings;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import dev.coffer.repository.VirtualSettings;
import java.util.Arrays;
import java.util.List;

/**
 * A repository as JSON (API.md §9), and a request body as a {@link RepositoryService.Change}.
 * {@code url}, {@code cacheSeconds} and {@code offline} appear for remote repositories only,
 * {@code repositories} and {@code defaultDeployRepo} for virtual ones; the upstream's
 * {@code username} and {@code password} are write-only and never appear at all.
 */
final class RepositoryJson {
    private RepositoryJson() {}

    static ObjectNode json(Repository r) {
        ObjectNode o = Json.object();
        o.put("name", r.name());
        o.put("description", r.description());
        o.put("anonymousRead", r.anonymousRead());
        o.put("packageType", r.packageType().json());
        o.put("rclass", r.rclass().json());
        RemoteSettings remote = r.remote();
        if (remote != null) {
            o.put("url", remote.url().toString());
        }
        VirtualSettings virtual = r.virtual();
        if (virtual != null) {
            strings(o.putArray("repositories"), virtual.members());
            o.put("defaultDeployRepo", virtual.defaultDeployRepo());
        }
        strings(o.putArray("includePatterns"), r.filter().includePatterns());
        strings(o.putArray("excludePatterns"), r.filter().excludePatterns());
        if (remote != null) {
            o.put("cacheSeconds", remote.cacheSeconds());
            o.put("offline", remote.offline());
        }
        o.put("created", Json.time(r.createdAt()));
        o.put("lastModified", Json.time(r.updatedAt()));
        return o;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    /** The fields of a PUT, checked by {@link RepositoryService} (this only reads them). */
    static RepositoryService.Change change(Body body) {
        return RepositoryService.Change.builder()
                .description(body.text("description"))
                .anonymousRead(body.bool("anonymousRead"))
                .packageType(body.text("packageType"))
                .rclass(body.text("rclass"))
                .includePatterns(patterns(body, "includePatterns", "includesPattern"))
                .excludePatterns(patterns(body, "excludePatterns", "excludesPattern"))
                .url(body.text("url"))
                .username(body.text("username"))
                .password(body.text("password"))
                .cacheSeconds(body.integer("cacheSeconds"))
                .offline(body.bool("offline"))
                .members(body.strings("repositories"))
                .defaultDeployRepo(body.text("defaultDeployRepo"))
                .build();
    }

    /**
     * Our list, or Artifactory's comma-separated {@code includesPattern}/{@code excludesPattern}
     * (its default include {@code **}{@code /*} is read as {@code **}, the same paths, so that
     * an Artifactory configuration sent back unchanged changes nothing); both at once is a 400.
     */
    private static List<String> patterns(Body body, String list, String alias) {
        if (body.has(list) && body.has(alias)) {
            throw CofferException.invalid(
                    "body_invalid", "send '" + list + "' or Artifactory's '" + alias + "', not both");
        }
        if (!body.has(alias)) {
            return body.strings(list);
        }
        List<String> parts = Arrays.stream(body.text(alias).split(",", -1))
                .map(String::strip)
                .filter(p -> !p.isEmpty())
                .toList();
        boolean include = list.equals("includePatterns");
        if (include && (parts.isEmpty() || parts.equals(List.of("**/*")))) {
            return List.of("**");
        }
        return parts;
    }
}
