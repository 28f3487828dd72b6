"""Find the sub-modules of a runner's model that carry a given attribute."""
from mmengine.model import is_model_wrapper


def modules_with_attribute(runner, name):
    """Every sub-module of the (unwrapped) model that has attribute ``name``.

    Hooks that schedule a setting (a temperature, a hardness) set it on
    these modules, so a user's replacement component takes part as long as
    it has the attribute.

    Args:
        runner (mmengine.runner.Runner): The runner whose model to search.
        name (str): Attribute name, e.g. ``'gumbel_tau'``.

    Returns:
        list[torch.nn.Module]: The modules, in ``modules()`` order.
    """
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    return [module for module in model.modules() if hasattr(module, name)]
