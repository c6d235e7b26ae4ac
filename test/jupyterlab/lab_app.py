"""Serves the built JupyterLab test app (build/) with Debian's jupyter_server and jupyterlab_server.

JupyterLab's own Python package is not installable here; LabServerApp is the part of it that serves a built
front end: page config, settings schemas, themes, workspaces, and the kernels/contents REST API underneath.
"""
import json
import os

from jupyterlab_server import LabServerApp

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")

# Configuration files on the machine must not change what the tests see.
os.environ["JUPYTER_NO_CONFIG"] = "1"

with open(os.path.join(HERE, "package.json")) as package:
    VERSION = json.load(package)["version"]


def _jupyter_server_extension_points():
    # jupyter_server finds the app it starts through the module that defines it.
    return [{"module": __name__, "app": LoopLabTestLab}]


class LoopLabTestLab(LabServerApp):
    name = __name__
    extension_url = "/lab"
    default_url = "/lab"
    app_name = "JupyterLab"
    app_url = "/lab"
    app_version = VERSION
    load_other_extensions = False
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    # overrides.json: no news or update checks (no network here), and every cell in the DOM (no windowing).
    app_settings_dir = os.path.join(HERE, "settings")
    # Settings and workspaces a test changes (the theme) live in the test's own Jupyter home.
    user_settings_dir = os.path.join(os.environ.get("JUPYTER_CONFIG_DIR", BUILD), "lab", "user-settings")
    workspaces_dir = os.path.join(os.environ.get("JUPYTER_CONFIG_DIR", BUILD), "lab", "workspaces")


if __name__ == "__main__":
    LoopLabTestLab.launch_instance()
