package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.common.ArtifactPath;
import java.util.List;
import java.util.Map;

/** The storage-info JSON of API.md §2, shared by PUT responses, /api/storage and listings. */
final class FileInfo {
    private FileInfo() {}

    static ObjectNode file(FileRecord f, Map<String, List<String>> properties) {
        ObjectNode o = Json.object();
        o.put("repo", f.repo());
        o.put("path", f.path().toString());
        o.put("folder", false);
        o.put("size", f.size());
        o.put("created", Json.time(f.createdAt()));
        o.put("lastModified", Json.time(f.updatedAt()));
        o.put("createdBy", f.createdBy());
        o.put("modifiedBy", f.modifiedBy());
        ObjectNode sums = o.putObject("checksums");
        sums.put("sha256", f.checksums().sha256());
        sums.put("sha1", f.checksums().sha1());
        sums.put("md5", f.checksums().md5());
        o.put("downloadUri", "/repository/" + f.repo() + "/" + Paths.encode(f.path()));
        ObjectNode props = o.putObject("properties");
        properties.forEach((k, v) -> {
            ArrayNode a = props.putArray(k);
            v.forEach(a::add);
        });
        o.putArray("children");
        return o;
    }

    static ObjectNode folder(String repo, ArtifactPath path, List<ArtifactService.Child> children) {
        ObjectNode o = Json.object();
        o.put("repo", repo);
        o.put("path", path.toString());
        o.put("folder", true);
        o.putObject("properties");
        ArrayNode a = o.putArray("children");
        for (ArtifactService.Child c : children) {
            ObjectNode n = a.addObject();
            n.put("name", c.name());
            n.put("folder", c.folder());
            if (c.file() != null) {
                n.put("size", c.file().size());
                n.put("lastModified", Json.time(c.file().updatedAt()));
                n.put("sha256", c.file().checksums().sha256());
            }
            String child = path.isRoot() ? c.name() : path + "/" + c.name();
            n.put("uri", "/repository/" + repo + "/" + Paths.encode(ArtifactPath.of(child)) + (c.folder() ? "/" : ""));
        }
        return o;
    }
}
