"""Saving a sweep's frames for a lesson, as ``lesson.save_drawing`` saves one drawing."""
from .. import plotting

__all__ = ["save_frames"]


def save_frames(output, name, **kw):
    """``viz.frames(output, <OUT>/<name>, **kw)`` (step_00.svg, step_01.svg, …), printing where.
    Returns the list of paths, or [] with a one-line note when no Graphviz engine is available."""
    from .. import viz
    folder = plotting.out_dir() / name
    try:
        paths = viz.frames(output, folder, **kw)
    except viz.EngineNotFoundError:
        print("（没有 Graphviz 引擎，不存逐帧图 no Graphviz engine, frames not saved）")
        return []
    print(f"{len(paths)} 帧已保存 frames saved: {plotting.display_path(folder)}/"
          f"{paths[0].name} … {paths[-1].name}")
    return paths
