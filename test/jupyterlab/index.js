// The JupyterLab front end the browser tests drive: JupyterLab's own examples/app plugin list, unchanged
// apart from leaving out the PDF viewer and the language-server plugins (no server side for them here).
import { PageConfig } from "@jupyterlab/coreutils";
import { JupyterLab } from "@jupyterlab/application";

// Chunks and CSS assets load relative to where the server mounts the bundle.
// eslint-disable-next-line no-undef
__webpack_public_path__ = PageConfig.getOption("fullStaticUrl") + "/";

const styles = import("./build/style.js");

const noLanguageServer = (module) => module.default.filter(({ id }) => !id.includes(":language-server"));

window.addEventListener("load", async () => {
  await styles;
  const extensions = await Promise.all([
    import("@jupyterlab/application-extension"),
    import("@jupyterlab/apputils-extension"),
    import("@jupyterlab/celltags-extension"),
    import("@jupyterlab/codemirror-extension"),
    import("@jupyterlab/completer-extension"),
    import("@jupyterlab/console-extension"),
    import("@jupyterlab/csvviewer-extension"),
    import("@jupyterlab/docmanager-extension"),
    import("@jupyterlab/documentsearch-extension"),
    import("@jupyterlab/filebrowser-extension"),
    import("@jupyterlab/fileeditor-extension").then(noLanguageServer),
    import("@jupyterlab/help-extension"),
    import("@jupyterlab/imageviewer-extension"),
    import("@jupyterlab/inspector-extension"),
    import("@jupyterlab/launcher-extension"),
    import("@jupyterlab/mainmenu-extension"),
    import("@jupyterlab/markdownviewer-extension"),
    import("@jupyterlab/markedparser-extension"),
    import("@jupyterlab/mathjax-extension"),
    import("@jupyterlab/metadataform-extension"),
    import("@jupyterlab/notebook-extension").then(noLanguageServer),
    import("@jupyterlab/rendermime-extension"),
    import("@jupyterlab/running-extension"),
    import("@jupyterlab/settingeditor-extension"),
    import("@jupyterlab/shortcuts-extension"),
    import("@jupyterlab/statusbar-extension"),
    import("@jupyterlab/theme-dark-extension"),
    import("@jupyterlab/theme-light-extension"),
    import("@jupyterlab/toc-extension"),
    import("@jupyterlab/tooltip-extension"),
    import("@jupyterlab/translation-extension"),
    import("@jupyterlab/ui-components-extension"),
  ]);
  const mimeExtensions = await Promise.all([import("@jupyterlab/json-extension")]);
  const plugins = (module) => {
    const exported = Object.prototype.hasOwnProperty.call(module, "__esModule") ? module.default : module;
    return Array.isArray(exported) ? exported : [exported];
  };
  const lab = new JupyterLab({ mimeExtensions });
  lab.registerPlugins(extensions.flatMap(plugins));
  await lab.start();
  await lab.restored;
  // The tests read cell models (tags, output types) through the app, as JupyterLab's own galata tests do, and
  // wait for this mark rather than guessing from the DOM.
  window.jupyterapp = lab;
  document.body.dataset.looplabReady = "true";
});
