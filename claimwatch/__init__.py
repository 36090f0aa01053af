"""claimwatch: archive armed groups' posts, catch recycled footage, score attack claims."""

__version__ = "0.1.0"
