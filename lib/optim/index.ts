// tg.optim: optimizers.
export {};
