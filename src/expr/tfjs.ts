import * as tf from '@tensorflow/tfjs';
import { type Expr, ExprError, fold } from './ast.js';
import { functionSpec } from './functions.js';

/** `n` when e is the integer literal n or -n with |n| <= 8 (lowered to products), else undefined. */
function smallInteger(e: Expr): number | undefined {
  const sign = e.type === 'neg' ? -1 : 1;
  const x = e.type === 'neg' ? e.arg : e;
  return x.type === 'num' && Number.isInteger(x.value) && x.value <= 8 ? sign * x.value : undefined;
}

/**
 * Lowers an expression to tfjs ops. Bindings may be batched 1-D tensors or scalars (e.g. trainable
 * coefficients), so the graph is differentiable with respect to any binding. Integer exponents are
 * lowered to repeated multiplication where small, which also keeps negative bases finite as
 * Math.pow does.
 */
export function toTensor(e: Expr, bindings: Readonly<Record<string, tf.Tensor>>): tf.Tensor {
  return fold<tf.Tensor>(
    e,
    (x, v) => {
      switch (x.type) {
        case 'num':
          return tf.scalar(x.value);
        case 'var': {
          const t = bindings[x.name];
          if (t === undefined) throw new ExprError(`no tensor bound to variable ${x.name}`);
          return t;
        }
        case 'neg':
          return tf.neg(v[0]!);
        case 'call':
          return functionSpec(x.fn).tfjs(tf, v);
        case 'bin': {
          const [a, b] = v as [tf.Tensor, tf.Tensor];
          switch (x.op) {
            case '+':
              return tf.add(a, b);
            case '-':
              return tf.sub(a, b);
            case '*':
              return tf.mul(a, b);
            case '/':
              return tf.div(a, b);
            case '^': {
              const n = smallInteger(x.right);
              if (n === undefined) return tf.pow(a, b);
              return n >= 0 ? integerPower(a, n) : tf.div(tf.scalar(1), integerPower(a, -n));
            }
          }
        }
      }
    },
    new Map(),
  );
}

function integerPower(a: tf.Tensor, n: number): tf.Tensor {
  if (n === 0) return tf.onesLike(a);
  let acc = a;
  for (let i = 1; i < n; i++) acc = tf.mul(acc, a);
  return acc;
}
