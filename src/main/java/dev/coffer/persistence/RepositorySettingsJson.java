package dev.coffer.persistence;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.RemoteSettings;
import dev.coffer.repository.Repository;
import dev.coffer.repository.VirtualSettings;
import java.net.URI;
import java.util.List;

/**
 * The {@code settings} column of {@code repositories}: what only some repositories have, as one
 * JSON object of records, {@code {"filter":{...},"remote":{...},"virtual":{...}}}. Null for a
 * repository with none of it (every repository from before classes existed). A field this version
 * does not know stops the read: a setting of a newer version that narrowed what a repository serves
 * must not be dropped silently.
 */
final class RepositorySettingsJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private RepositorySettingsJson() {}

    record Stored(Filter filter, Remote remote, Virtual virtual) {}

    record Filter(List<String> includePatterns, List<String> excludePatterns) {}

    /** {@code password} is the sealed value ({@code v1:...}), never the password. */
    record Remote(String url, String username, String password, long cacheSeconds, boolean offline) {
        @Override
        public String toString() {
            return "Remote[url=" + url + "]";
        }
    }

    record Virtual(List<String> members, String defaultDeployRepo) {}

    /** The settings of a repository as they are read back. */
    record Decoded(PathFilter filter, RemoteSettings remote, VirtualSettings virtual) {}

    /** The column's value for {@code r}: null when it has only the defaults of a local repository. */
    static String encode(Repository r) {
        Filter filter = r.filter().equals(PathFilter.ALL)
                ? null
                : new Filter(r.filter().includePatterns(), r.filter().excludePatterns());
        RemoteSettings rs = r.remote();
        Remote remote = rs == null
                ? null
                : new Remote(rs.url().toString(), rs.username(), rs.sealedPassword(), rs.cacheSeconds(), rs.offline());
        VirtualSettings vs = r.virtual();
        Virtual virtual = vs == null ? null : new Virtual(vs.members(), vs.defaultDeployRepo());
        if (filter == null && remote == null && virtual == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(new Stored(filter, remote, virtual));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the settings of repository '" + r.name() + "'", e);
        }
    }

    static Decoded decode(String repo, String json) {
        if (json == null || json.isBlank()) {
            return new Decoded(PathFilter.ALL, null, null);
        }
        Stored s;
        try {
            s = MAPPER.readValue(json, Stored.class);
        } catch (JsonProcessingException e) {
            // the parser's message may quote the column (a sealed password): say where, not what
            throw new IllegalStateException("the stored settings of repository '" + repo + "' cannot be read ("
                    + e.getClass().getSimpleName() + " at " + e.getLocation()
                    + "); was the database written by a newer version of Coffer?");
        }
        PathFilter filter = s.filter() == null
                ? PathFilter.ALL
                : new PathFilter(
                        nonNull(s.filter().includePatterns()),
                        nonNull(s.filter().excludePatterns()));
        Remote r = s.remote();
        RemoteSettings remote = r == null
                ? null
                : new RemoteSettings(URI.create(r.url()), r.username(), r.password(), r.cacheSeconds(), r.offline());
        Virtual v = s.virtual();
        VirtualSettings virtual = v == null ? null : new VirtualSettings(nonNull(v.members()), v.defaultDeployRepo());
        return new Decoded(filter, remote, virtual);
    }

    private static List<String> nonNull(List<String> l) {
        return l == null ? List.of() : l;
    }
}
