package dev.stampede.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * stampede-bom manages every artifact the build publishes for users, at the project's version: a
 * module added to the reactor without a BOM entry fails here.
 */
class BomTest {

  /** Modules that are built but not meant as a user's dependency. */
  private static final Set<String> NOT_PUBLISHED = Set.of("stampede-examples");

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void listsEveryPublishedModuleOfTheReactor() throws Exception {
    Set<String> published = new TreeSet<>();
    collectModules(ROOT, published);
    published.removeAll(NOT_PUBLISHED);

    Set<String> managed = new TreeSet<>();
    for (Element dependency : managedDependencies(read(ROOT.resolve("bom/pom.xml")))) {
      assertThat(text(dependency, "groupId")).isEqualTo("dev.stampede");
      assertThat(text(dependency, "version")).as(text(dependency, "artifactId")).isEqualTo("${project.version}");
      managed.add(text(dependency, "artifactId"));
    }
    assertThat(managed).isEqualTo(published).contains("stampede-core", "stampede-app");
  }

  @Test
  void hasTheProjectsVersionAndNoParentWhoseManagedVersionsItWouldLeak() throws Exception {
    Document bom = read(ROOT.resolve("bom/pom.xml"));
    Document parent = read(ROOT.resolve("pom.xml"));
    assertThat(children(bom.getDocumentElement(), "parent")).isEmpty();
    assertThat(text(bom.getDocumentElement(), "groupId")).isEqualTo(text(parent.getDocumentElement(), "groupId"));
    assertThat(text(bom.getDocumentElement(), "version")).isEqualTo(text(parent.getDocumentElement(), "version"));
  }

  private static void collectModules(Path dir, Set<String> artifacts) throws Exception {
    Element project = read(dir.resolve("pom.xml")).getDocumentElement();
    String packaging = children(project, "packaging").isEmpty() ? "jar" : text(project, "packaging");
    if (packaging.equals("jar") || packaging.equals("maven-plugin")) {
      artifacts.add(text(project, "artifactId"));
    }
    for (Element modules : children(project, "modules")) {
      for (Element module : children(modules, "module")) {
        Path child = dir.resolve(module.getTextContent().trim());
        assertThat(Files.isRegularFile(child.resolve("pom.xml"))).as(child.toString()).isTrue();
        collectModules(child, artifacts);
      }
    }
  }

  private static List<Element> managedDependencies(Document pom) {
    List<Element> all = new ArrayList<>();
    for (Element management : children(pom.getDocumentElement(), "dependencyManagement")) {
      for (Element dependencies : children(management, "dependencies")) {
        all.addAll(children(dependencies, "dependency"));
      }
    }
    return all;
  }

  private static Document read(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    assertThat(found).as(name + " in " + parent.getTagName()).hasSize(1);
    return found.get(0).getTextContent().trim();
  }
}
