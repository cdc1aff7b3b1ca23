"""dptrain's PyTorch peer for `dptrain bench compare`: the default job (MLP 784-256-128-10 relu,
Adam lr 1e-3, global batch 128, Fashion-MNIST from Debian's dataset-fashion-mnist), trained by one
process or by DDP over gloo on 127.0.0.1.

Prints one JSON object per epoch on stdout (rank 0 only):
  {"epoch": e, "train_s": seconds of this epoch's training loop, "samples": samples trained,
   "test_accuracy": accuracy on the 10,000 test rows after the epoch}
Usage: python3 torch_peer.py [--world N] [--threads T] [--epochs E] [--batch B] [--port P]
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        dims = f.read(4)[3]
        shape = struct.unpack(">" + "I" * dims, f.read(4 * dims))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(shape)


def load():
    def images(name):
        return torch.from_numpy(read_idx(name).reshape(-1, 784).astype(np.float32) / 255.0)

    def labels(name):
        return torch.from_numpy(read_idx(name).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def train(rank, args):
    torch.set_num_threads(args.threads)
    if args.world > 1:
        os.environ["MASTER_ADDR"] = "127.0.0.1"
        os.environ["MASTER_PORT"] = str(args.port)
        dist.init_process_group("gloo", rank=rank, world_size=args.world)
    torch.manual_seed(args.seed)
    x_train, y_train, x_test, y_test = load()
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if args.world > 1:
        model = nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_of = nn.CrossEntropyLoss()
    per_rank = args.batch // args.world
    order = torch.Generator().manual_seed(args.seed + 1)
    steps = len(x_train) // args.batch
    for epoch in range(1, args.epochs + 1):
        permutation = torch.randperm(len(x_train), generator=order)
        start = time.perf_counter()
        for step in range(steps):
            first = step * args.batch + rank * per_rank
            rows = permutation[first:first + per_rank]
            optimizer.zero_grad()
            loss_of(model(x_train[rows]), y_train[rows]).backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        if rank == 0:
            print(json.dumps({"epoch": epoch, "train_s": seconds, "samples": steps * args.batch,
                              "test_accuracy": accuracy}), flush=True)
    if args.world > 1:
        dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--world", type=int, default=1, help="processes (DDP over gloo when > 1)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads per process")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=128, help="global batch")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--port", type=int, default=29517, help="DDP rendezvous port on 127.0.0.1")
    args = parser.parse_args()
    if args.world < 1 or args.batch % args.world != 0:
        sys.exit("error: --world must be >= 1 and divide --batch")
    if args.world == 1:
        train(0, args)
    else:
        mp.spawn(train, args=(args,), nprocs=args.world)


if __name__ == "__main__":
    main()
