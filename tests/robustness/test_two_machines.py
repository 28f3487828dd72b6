"""Two "machines" on one host: ``NNODES=2 NODE_RANK=0/1
MASTER_ADDR=127.0.0.1 tools/dist_train.sh CONFIG 1`` run in two folders,
each with its own copy of the corpus (where a real cluster has a local disk
per machine), writing to one shared work_dir. They train exactly as 2
processes on one machine do; only global rank 0 writes checkpoints and logs;
each machine builds its own annotation store."""
import shutil

from cluster_runs import LAST_ITER, assert_same_run, dist_train, free_port

STORE_FOLDER = 'data/synthetic/annotations/.smaug_cache'


def test_two_machines_train_as_two_processes_of_one(
        synthetic_workspace, cluster_config, cluster_reference, tmp_path):
    work_dir = tmp_path / 'shared_work_dir'
    machines = [tmp_path / f'machine{node}' for node in range(2)]
    for machine in machines:
        shutil.copytree(synthetic_workspace / 'data', machine / 'data',
                        ignore=shutil.ignore_patterns('.smaug_cache'))
    port = str(free_port())
    launches = [
        dist_train(machine, cluster_config, work_dir, 1,
                   machine / 'launcher.log', NNODES='2', NODE_RANK=str(node),
                   MASTER_ADDR='127.0.0.1', PORT=port)
        for node, machine in enumerate(machines)
    ]
    for launch in launches:
        assert launch.wait() == 0, launch.text()[-3000:]
    assert_same_run(work_dir, cluster_reference())

    # global rank 0 (on either machine: torchrun's rendezvous orders them)
    # logs; the other machine's process logs nothing but errors
    logs = [launch.text() for launch in launches]
    writer = [f'Saving checkpoint at {LAST_ITER} iterations' in log
              for log in logs]
    assert sorted(writer) == [False, True]
    assert 'mmengine - INFO' not in logs[writer.index(False)]
    # one log folder with one log, the checkpoint of rank 0 only
    folders = [path for path in work_dir.iterdir() if path.is_dir()]
    assert len(folders) == 1 and [
        path.name for path in folders[0].glob('*.log')
    ] == [f'{folders[0].name}.log']
    assert sorted(path.name for path in work_dir.glob('*.pth*')) == [
        f'iter_{LAST_ITER}.pth']
    # every machine built its own annotation stores, one per dataset
    for machine in machines:
        stores = sorted(path.name.split('.')[0] for path in
                        (machine / STORE_FOLDER).glob('*.store'))
        assert stores == ['pretrain_image', 'pretrain_video']
