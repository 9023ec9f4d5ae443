import { XnnKernels } from '../dist/src/nn/xnn.js';
const t0 = performance.now();
const k = XnnKernels.loadSync();
const t1 = performance.now();
const k2 = XnnKernels.loadSync();
console.log('first', (t1-t0).toFixed(1), 'second', (performance.now()-t1).toFixed(1));
const a = k.alloc(4), b = k.alloc(4), o = k.alloc(4);
k.view(a).set([1,2,3,4]); k.view(b).set([1,0,0,1]);
k.matMul(a,2,2,b,2,o); console.log(Array.from(k.view(o)));
