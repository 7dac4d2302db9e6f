package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs hold together: every relative link in README.md, docs/*.md and bench/README.md points at a file
 * that exists, every doc can be reached from README, and README stays a front door of at most 300 lines.
 * Tests run from the project's directory, as DeployKitTest relies on too.
 */
public class DocsLinksTest {

  private static final int README_MAX_LINES = 300;

  /** {@code [text](target)} and {@code ![alt](target)}, with an optional {@code "title"} after the target. */
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

  @Test
  void every_relative_link_in_the_docs_points_at_a_file_that_exists() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path doc : docs()) {
      for (String target : relativeLinks(doc)) {
        Path resolved = doc.toAbsolutePath().getParent().resolve(withoutFragment(target)).normalize();
        if (!Files.exists(resolved)) {
          broken.add(doc + ": (" + target + ") points nowhere");
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void every_doc_can_be_reached_from_the_readme() throws IOException {
    Set<Path> reached = new TreeSet<>();
    List<Path> toRead = new ArrayList<>(List.of(Path.of("README.md")));
    // Breadth-first over the links, bounded by the number of docs: each is read once.
    while (!toRead.isEmpty()) {
      Path doc = toRead.remove(0).normalize();
      if (!reached.add(doc) || !doc.toString().endsWith(".md") || !Files.exists(doc)) {
        continue;
      }
      Path dir = doc.getParent() == null ? Path.of("") : doc.getParent();
      relativeLinks(doc).forEach(target -> toRead.add(dir.resolve(withoutFragment(target))));
    }
    List<Path> orphans = docs().stream().map(Path::normalize).filter(doc -> !reached.contains(doc)).toList();
    assertEquals(List.of(), orphans, "docs no link from README leads to");
  }

  @Test
  void every_code_block_is_closed_so_that_no_link_hides_in_one() throws IOException {
    List<String> unclosed = new ArrayList<>();
    for (Path doc : docs()) {
      long fences = Files.readAllLines(doc).stream().filter(line -> line.trim().startsWith("```")).count();
      if (fences % 2 != 0) {
        unclosed.add(doc + ": " + fences + " fence lines");
      }
    }
    assertEquals(List.of(), unclosed);
  }

  @Test
  void readme_is_a_front_door_of_at_most_300_lines() throws IOException {
    int lines = Files.readAllLines(Path.of("README.md")).size();
    assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines; move the details into docs/");
  }

  /** README.md, every Markdown file in docs/, and bench/README.md. */
  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(Path.of("README.md"), Path.of("bench", "README.md")));
    try (Stream<Path> inDocs = Files.list(Path.of("docs"))) {
      inDocs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** The link targets outside code blocks and code spans, without web addresses, mail and in-page anchors. */
  private static List<String> relativeLinks(Path doc) throws IOException {
    List<String> targets = new ArrayList<>();
    boolean inFence = false;
    for (String line : Files.readAllLines(doc)) {
      if (line.trim().startsWith("```")) {
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        continue;
      }
      Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
      while (link.find()) {
        String target = link.group(1);
        if (!target.matches("(?i)(https?|mailto):.*") && !target.startsWith("#")) {
          targets.add(target);
        }
      }
    }
    return targets;
  }

  private static String withoutFragment(String target) {
    int hash = target.indexOf('#');
    return hash < 0 ? target : target.substring(0, hash);
  }
}
